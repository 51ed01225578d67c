"""The fields of a dossier, by how they are stored: what a save may change and what a completion may reopen."""

SCALAR_FIELDS = (
    "title",
    "summary",
    "description",
    "trl",
    "already_launched",
    "launched_on",
    "expected_results",
    "carrier_name",
    "carrier_type",
    "carrier_country",
    "contact_name",
    "contact_email",
    "contact_phone",
)
RELATED_FIELDS = ("format", "themes", "domains", "partners", "datasets", "claims")
# What the organisers may ask to complete: every field, and the attachments. Each is also a key of the snapshot.
COMPLETABLE_FIELDS = (*SCALAR_FIELDS, *RELATED_FIELDS, "attachments")
