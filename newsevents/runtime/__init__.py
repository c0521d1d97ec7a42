"""Process concerns: memory allocators and live progress."""
