./lossfloor train --corpus tinyshakespeare --tokenizer char --layers 2 --heads 2 --embd 64 --context 64 --max-steps 300 --no-baselines --out runs/lab4/en-char
./lossfloor train --corpus $LOSSFLOOR_DATA/ru_tolstoy_kazaki.txt --tokenizer char --unk --layers 2 --heads 2 --embd 64 --context 64 --max-steps 300 --no-baselines --out runs/lab4/ru-char
./lossfloor train --corpus $LOSSFLOOR_DATA/ru_tolstoy_kazaki.txt --tokenizer byte --layers 2 --heads 2 --embd 64 --context 64 --max-steps 300 --no-baselines --out runs/lab4/ru-byte
