"""fabula: compile a screenplay and a book from plain text, and check the story's continuity."""

__version__ = "0.1.0"
