#pragma once

#include <QLoggingCategory>

// Logging categories, one per area. Enable debug output with e.g.
// QT_LOGGING_RULES="greenpulse.mqtt.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcMqtt)
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)
Q_DECLARE_LOGGING_CATEGORY(lcLedger)
Q_DECLARE_LOGGING_CATEGORY(lcProcessor)
Q_DECLARE_LOGGING_CATEGORY(lcInflux)
Q_DECLARE_LOGGING_CATEGORY(lcOptions)
Q_DECLARE_LOGGING_CATEGORY(lcSim)
Q_DECLARE_LOGGING_CATEGORY(lcApp)
