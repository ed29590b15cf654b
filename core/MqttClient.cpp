#include "MqttClient.h"
