"""A first W&B run in one file: paste it, run it offline, no account needed.

The section `quickstart` is the whole file a new user pastes as `quickstart.py`. It
fits a line to noisy points with plain Python, so it needs nothing but wandb, and logs
the loss, a config and a summary. With wandb missing it says what to install.

Run it:  WANDB_MODE=offline python -m snippets.quickstart
"""

from __future__ import annotations

__all__: list[str] = []  # the whole file is the example: nothing in it is a helper

# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---

# --8<-- [start:quickstart]
import random


def train(run, learning_rate: float, epochs: int, seed: int) -> list[float]:
    """Your training loop: here, fitting y = 2x + 1 to 32 noisy points."""
    if not (isinstance(learning_rate, float | int) and 0 < learning_rate <= 1):
        raise ValueError(f"learning_rate={learning_rate!r}: pass a number in (0, 1]")
    if type(epochs) is not int or epochs < 1:
        raise ValueError(f"epochs={epochs!r}: pass a whole number, 1 or more")
    rng = random.Random(seed)
    points = [(x / 16 - 1, 2 * (x / 16 - 1) + 1 + rng.gauss(0, 0.1)) for x in range(32)]
    w = b = 0.0
    losses = []
    for epoch in range(epochs):
        squared = 0.0
        for x, y in points:
            error = w * x + b - y
            w, b = w - learning_rate * error * x, b - learning_rate * error
            squared += error**2
        losses.append(squared / len(points))
        run.log({"train/loss": losses[-1], "train/w": w}, step=epoch)
    run.summary["final_w"] = w
    return losses


def main() -> list[float]:
    try:
        import wandb
    except ImportError:
        print('wandb is not installed: pip install "wandb>=0.31", then run this again')
        return []
    config = {"learning_rate": 0.1, "epochs": 20, "seed": 0}
    with wandb.init(project="quickstart", config=config) as run:
        return train(run, **run.config)


if __name__ == "__main__":
    main()
# --8<-- [end:quickstart]
