# Sourced by scripts/install-mirror.sh, scripts/install-release-archive.sh and
# scripts/release.sh: release versions and SHA256SUMS checks, the filesystem-mirror
# layout both CLIs read during `init`, and the CLI configuration that points them at it.

# The provider's two addresses: the CLIs refuse a wildcard host with a fixed namespace
# in `include`, so each is named.
MIRROR_HOSTS=(registry.terraform.io registry.opentofu.org)

# check_version V: a version the CLIs accept, without the leading v of a git tag.
check_version() {
  local v="$1"
  if [[ ! "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "version \"$v\" is not of the form 1.2.3 or 1.2.3-pre (set VERSION=…, without a leading v)" >&2
    exit 2
  fi
  if [[ "$v" == *-* ]]; then
    echo "note: $v is a pre-release: only an exact constraint (version = \"$v\") selects it, never \"~> …\"" >&2
  fi
}

# install_package MIRROR HOST VERSION PLATFORM SRC_DIR: replaces the mirror's package
# for that address, version and platform with the files of SRC_DIR (unpacked layout:
# the CLI hashes the directory's files, which gives the same h1: hash as the release
# zip holding the same files).
install_package() {
  local mirror="$1" host="$2" version="$3" platform="$4" src="$5"
  local dest="$mirror/$host/blsq/openhexa/$version/$platform"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp -p "$src"/* "$dest/"
  echo "installed $dest" >&2
}

# sha256_of FILE: its SHA-256, hex (GNU coreutils, else the BSD/macOS shasum).
sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# listed_sha256 SUMS NAME: the SHA-256 a SHA256SUMS file lists for NAME (its lines are
# "<hex>  <file name>"), nothing when it lists no such file.
listed_sha256() {
  awk -v f="$2" '$2 == f { print $1 }' "$1"
}

# print_cli_config MIRROR [OUT]: prints the CLI configuration (and writes it to OUT,
# a new file, when given).
print_cli_config() {
  local mirror="$1" out="${2:-}" config
  config="$(cat <<CONFIG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]
  }
  direct {
    exclude = ["registry.terraform.io/blsq/openhexa", "registry.opentofu.org/blsq/openhexa"]
  }
}
CONFIG
)"
  if [[ -n "$out" ]]; then
    if [[ -e "$out" ]]; then
      echo "$out exists: not overwritten" >&2
      exit 1
    fi
    printf '%s\n' "$config" >"$out"
  fi
  cat <<EOT

The provider is in the filesystem mirror $mirror.
For \`init\` to take blsq/openhexa from there (and every other provider from its registry),
put this block in the CLI configuration: ~/.tofurc for OpenTofu (which reads ~/.terraformrc
when there is no ~/.tofurc), ~/.terraformrc for Terraform, or a file named by TF_CLI_CONFIG_FILE
(both CLIs). If the file already has a provider_installation block, merge these two into it.

$config
EOT
}
