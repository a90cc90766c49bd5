./lossfloor baselines --corpus tinyshakespeare
tail -n 1 runs/lab6/metrics.jsonl
mkdir -p runs/lab7
tail -n 500 $LOSSFLOOR_DATA/tinyshakespeare.txt > runs/lab7/shakespeare-end.txt
sed -n 1001,1200p $LOSSFLOOR_DATA/de_kafka_der_prozess.txt > runs/lab7/german.txt
sed -n 2001,2300p $LOSSFLOOR_DATA/fr_dumas_monte_cristo_tome1.txt > runs/lab7/french.txt
sed -n 501,560p $LOSSFLOOR_DATA/ru_tolstoy_kazaki.txt > runs/lab7/russian.txt
sed -n 2001,2400p $LOSSFLOOR_DATA/code_python_pip_internal.py.txt > runs/lab7/python.txt
./lossfloor score --run runs/lab6 runs/lab7/shakespeare-end.txt runs/lab7/german.txt runs/lab7/french.txt runs/lab7/russian.txt runs/lab7/python.txt
