"""Distillation of the shipped graphs into one multi-task MiniLM student (issue 21); ``narrascope train distil``."""
