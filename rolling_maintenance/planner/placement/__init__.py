"""Where instances go: target hosts in best-fit order, the evacuation of one
host, the choice of the host to empty, and how each move is carried out."""
