#include "Waveforms.h"
