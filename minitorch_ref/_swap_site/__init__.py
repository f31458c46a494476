"""The folder ``minitorch_ref.swap`` puts on PYTHONPATH for the processes a swapped script
starts; its ``sitecustomize`` module swaps torch in each of them (see sitecustomize.py). It is
a package only so that it ships with the library."""
