./lossfloor calc --p 0.8,0.2 --observed 1
./lossfloor calc --p 0.1,0.7,0.2 --observed 2
./lossfloor calc --p 0.9,0.1
./lossfloor calc --p 0.9,0.1 --q 0.6,0.4
./lossfloor calc --p 0.8,0.2 --observed 1,1,2
./lossfloor calc --p 0.5,0.5 --observed 1,1,2
./lossfloor calc --nats-per-token 1.47 --tokens 36059 --chars 111540
