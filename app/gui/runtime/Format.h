#pragma once

#include "protocol/Protocol.h"

#include <QString>

// Number and time formatting shared by the cards, the table and the status bar.
namespace greenpulse::app::format {

// Automatic units: the quantities the dashboard shows, each with its ladder of units (one
// place for all of them: cards, charts' axes, legends and crosshair).
enum class Quantity {
    Power,  // base unit W:   W, kW, MW, GW
    Energy, // base unit kWh: Wh, kWh, MWh, GWh
    Mass,   // base unit kg:  g, kg, t, kt (CO2e)
    Volume, // base unit L:   mL, L, m³
    Plain,  // no scaling (°C, L/min): the unit given by the caller
};
struct Scale
{
    double divisor = 1; // shown value = base value / divisor
    QString unit;       // "kW"; empty for Plain
};
// The unit to show values of magnitude `magnitude` (in the base unit) in: the largest unit of
// the ladder in which it is at least 1 (the smallest unit below that; the base unit for 0).
Scale scaleFor(Quantity quantity, double magnitude);
// `value` (base unit) in the unit its own magnitude picks: "850 W", "8.97 kW", "12.3 Wh".
QString withUnit(Quantity quantity, double value);
// An axis label for `value` (already divided by the axis's Scale) on an axis whose ticks are
// `step` apart: fixed-point with the decimals the step needs, never scientific ("0.00005" not
// "5e-05", "5,000" not "5e+03").
QString tick(double value, double step);

QString watts(double watts);      // "850 W", "12.4 kW", "1.20 MW"
QString kwh(double kwh);          // "12.3 Wh", "12.3 kWh", "1.23 MWh"
QString kgCo2e(double kg);        // "7.80 g", "1.24 kg", "1.20 t" (no unit suffix for CO2e)
QString liters(double liters);    // "520 mL", "124 L", "12.3 m³"
QString duration(double seconds); // "12 s", "3 min 05 s", "1 h 02 min", "2 d 3 h"
QString percent(double fraction); // "97 %"
QString localTime(core::TimeNs ns, bool withDate = false);
// Significant-digit formatting: 3 significant digits, at most `maxDecimals` decimals.
QString number(double value, int maxDecimals = 4);
// "Initial_Model_Train" from "Initial_Model_Train_1764049200_a1b2c3"; ids that are not
// well-formed are returned unchanged.
QString jobName(const QString &jobId);

} // namespace greenpulse::app::format
