"""Declare the task queues on the broker once, before the web processes and the workers start.

On the embedded SQLite broker, kombu creates a queue's row on its first publish; two processes doing that at once
(the worker starting, a first submit) can collide, and the loser's message is refused. Declared beforehand, every
publish finds the row. Harmless on Redis and RabbitMQ, which declare queues atomically.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from convergence.celery import app


class Command(BaseCommand):
    help = "Declare the task queues on the broker (run once before starting the server and the workers)."

    def handle(self, *args, **options):
        names = sorted({app.conf.task_default_queue, settings.SCORING_QUEUE})
        with app.connection_for_write() as connection:
            channel = connection.default_channel
            for name in names:
                app.amqp.queues.select_add(name)
                app.amqp.queues[name].bind(channel).declare()
        self.stdout.write(f"broker queues declared: {', '.join(names)}")
