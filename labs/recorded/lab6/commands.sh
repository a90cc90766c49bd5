./lossfloor train --corpus tinyshakespeare --tokenizer byte --layers 2 --heads 4 --embd 128 --context 64 --max-steps 600 --out runs/lab6
./lossfloor sample --run runs/lab6 --prompt "ROMEO:" --max-tokens 200 --temperature 0
./lossfloor sample --run runs/lab6 --prompt "ROMEO:" --max-tokens 200 --temperature 0.5 --seed 1 --show-entropy
./lossfloor sample --run runs/lab6 --prompt "ROMEO:" --max-tokens 200 --temperature 1.0 --seed 1 --show-entropy
./lossfloor sample --run runs/lab6 --prompt "ROMEO:" --max-tokens 200 --temperature 1.5 --seed 1 --show-entropy
./lossfloor sample --run runs/lab6 --prompt "ROMEO:" --max-tokens 200 --temperature 1.0 --top-k 5 --seed 1 --show-entropy
