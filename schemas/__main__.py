"""``python -m newsevents.schemas`` prints the column reference in Markdown (kept in the README)."""
from newsevents.schemas import markdown_reference

print(markdown_reference())
