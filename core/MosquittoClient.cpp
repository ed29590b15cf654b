#include "MosquittoClient.h"
