package providerdata

import "strings"

// ClaimSlug records that a resource of this run's configuration gives a connection
// the slug in the workspace (a create, or a connection it manages, whose slug stays
// or changes), and reports whether no other resource claimed it first. A provider
// instance serves one CLI walk (a plan, or an apply), in which each resource instance
// plans its change once, or twice for a replacement: owner is the id of the
// connection the resource manages or replaces, so that both halves of one
// replacement claim one slug, and "" for a plain create, whose every claim is its
// own. A second claim by another owner is a second resource that would give a
// connection the same slug, which OpenHEXA refuses (or, for a created one,
// suffixes), or that would adopt another resource's connection.
func (d *Data) ClaimSlug(workspace, slug, owner string) bool {
	claimant := any(new(int)) // unique: a plain create owns no one else's claim
	if owner != "" {
		claimant = strings.ToLower(owner)
	}
	held, taken := d.claims.LoadOrStore(workspace+"/"+slug, claimant)
	return !taken || held == claimant
}

// NoteCreated records that a create of this run made the connection id under the
// slug: the connection owns the slug's claim from now on.
func (d *Data) NoteCreated(workspace, slug, id string) {
	d.claims.Store(workspace+"/"+slug, strings.ToLower(id))
}

// NoteAdopted records that a create of this run adopted the connection id, which
// holds the slug, into a resource's state (adopt_identical).
func (d *Data) NoteAdopted(workspace, slug, id string) {
	d.NoteCreated(workspace, slug, id)
	d.adopted.Store(strings.ToLower(id), true)
}

// AdoptedInRun reports whether a create of this run adopted the connection: the
// resource that adopted it is its owner now, so no delete of the same run may remove
// it from OpenHEXA (the old object of a create_before_destroy replacement whose
// create adopted it). A connection this run created cannot meet a delete of the same
// run: every object a delete removes existed before the run.
func (d *Data) AdoptedInRun(id string) bool {
	_, ok := d.adopted.Load(strings.ToLower(id))
	return ok
}
