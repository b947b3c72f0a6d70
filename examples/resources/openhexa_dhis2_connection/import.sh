# By workspace slug and connection slug.
terraform import openhexa_dhis2_connection.national malaria-surveillance/dhis2-national

# By workspace slug and connection UUID.
terraform import openhexa_dhis2_connection.national malaria-surveillance/0b9a1c52-6f43-4f8e-9d7a-2c1e5b8f4a10

# By connection UUID alone, in the provider's default workspace.
terraform import openhexa_dhis2_connection.national 0b9a1c52-6f43-4f8e-9d7a-2c1e5b8f4a10
