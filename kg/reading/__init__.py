"""Reading a corpus: its layout, its annotation formats and its configuration."""
