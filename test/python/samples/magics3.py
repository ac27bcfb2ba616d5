%%bash
# A %%bash body is not Python: nothing is defined or read.
# defines:
# reads:
x = $(ls)
echo $undefined_thing
