"""Runnable examples for adding W&B tracking to Python training code, one module per
topic.

Every code block in SKILL.md and on the docs site is a named section of one of these
modules, and every module runs in the tests with wandb absent, disabled and offline.
"""
