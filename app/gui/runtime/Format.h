#pragma once

#include "protocol/Protocol.h"

#include <QString>

// Number and time formatting shared by the cards, the table and the status bar.
namespace greenpulse::app::format {

QString watts(double watts);      // "850 W", "12.4 kW", "1.20 MW"
QString kwh(double kwh);          // "0.0123 kWh", "12.3 kWh", "1,234 kWh"
QString kgCo2e(double kg);        // "0.0078 kg", "1.24 kg", "1.2 t" (no unit suffix for CO2e)
QString liters(double liters);    // "0.52 L", "124 L", "12.3 m³"
QString duration(double seconds); // "12 s", "3 min 05 s", "1 h 02 min", "2 d 3 h"
QString percent(double fraction); // "97 %"
QString localTime(core::TimeNs ns, bool withDate = false);
// Significant-digit formatting: 3 significant digits, at most `maxDecimals` decimals.
QString number(double value, int maxDecimals = 4);
// "Initial_Model_Train" from "Initial_Model_Train_1764049200_a1b2c3"; ids that are not
// well-formed are returned unchanged.
QString jobName(const QString &jobId);

} // namespace greenpulse::app::format
