from __future__ import annotations

# An alias defined away from its users: the plugin sees through it.
Stats = dict[str, int]
