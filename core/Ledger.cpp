#include "Ledger.h"
