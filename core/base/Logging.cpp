#include "base/Logging.h"

Q_LOGGING_CATEGORY(lcMqtt, "greenpulse.mqtt", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProtocol, "greenpulse.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLedger, "greenpulse.ledger", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProcessor, "greenpulse.processor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcInflux, "greenpulse.influx", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOptions, "greenpulse.options", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "greenpulse.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "greenpulse.app", QtInfoMsg)
