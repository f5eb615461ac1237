"""Widgets of the trajectory lab: the plot (contours + paths) and its side panels."""
