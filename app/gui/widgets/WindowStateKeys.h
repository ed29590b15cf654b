#pragma once

// What the main window keeps across restarts, under "gui/" in its settings (GuiSettings::guiValue;
// docs/dashboard.md, "Restarts" and "A small screen"): each key spelt here only.

#include <QString>

namespace greenpulse::app::windowstate {

inline const QString kGeometry = QStringLiteral("geometry");
inline const QString kChartWindowS = QStringLiteral("chart-window-s");
inline const QString kChartView = QStringLiteral("chart-view");
inline const QString kChartsCollapsed = QStringLiteral("charts-collapsed");
inline const QString kSortColumn = QStringLiteral("jobs-sort-column");
inline const QString kSortOrder = QStringLiteral("jobs-sort-order");
inline const QString kChartShare = QStringLiteral("chart-share");
inline const QString kChartColors = QStringLiteral("chart-colors");

} // namespace greenpulse::app::windowstate
