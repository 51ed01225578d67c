"""What every stage shares and that belongs to none: domain errors (and, as they move here, uploads and events).

`core` imports no stage; every stage and `web` may import it."""
