from celery import shared_task

from .triage import embed_changed_texts as embed_changed


@shared_task(acks_late=True)
def embed_changed_texts() -> int:
    """Periodic: embed the texts that changed since the last run, so that readers find their vectors stored."""
    return embed_changed()
