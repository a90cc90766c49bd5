./lossfloor calc --source markov:order=2,alphabet=abcd,concentration=0.5,seed=1
./lossfloor run data-size --out runs/lab5
cat runs/lab5/summary.md
