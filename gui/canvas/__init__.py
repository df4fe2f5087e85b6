"""The canvas: the scene, the view, node and edge items, style and rendering to files."""
