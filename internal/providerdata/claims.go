package providerdata

// ClaimSlug records that a create planned in this run will use the slug in the
// workspace, and reports whether no other create of the run claimed it first. A
// provider instance serves one CLI walk (a plan, or an apply), in which each
// resource instance plans its create once: a second claim is a second resource of
// the configuration that would create a connection with the same slug, which
// OpenHEXA refuses (or, for a derived slug, suffixes).
func (d *Data) ClaimSlug(workspace, slug string) bool {
	_, taken := d.claims.LoadOrStore(workspace+"/"+slug, true)
	return !taken
}
