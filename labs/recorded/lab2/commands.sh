./lossfloor calc --source markov:order=2,alphabet=abcd,concentration=0.5,seed=1
./lossfloor train --layers 2 --heads 2 --embd 64 --context 32 --batch 16 --epochs 3 --out runs/lab2
