"""What insights keeps: text embeddings, derived data computed again from the dossiers at any time."""

from django.db import models


class EmbeddingVector(models.Model):
    """A text's vector for one model (and version), found by the text's SHA-256: a text that changes gets a new
    row; the same text in two places is embedded once."""

    model = models.CharField(max_length=120)
    digest = models.CharField(max_length=64)
    vector = models.BinaryField()  # float32, L2-normalised
    dimensions = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "digest"], name="unique_embedding")]

    def __str__(self) -> str:
        return f"{self.model}:{self.digest[:12]}"
