./lossfloor calc --source markov:order=3,alphabet=abcd,concentration=0.3,seed=7
./lossfloor run labs/lab3-context.yaml --out runs/lab3
cat runs/lab3/summary.md
