#pragma once

#include <QLoggingCategory>

// greenpulse-grid's log lines: QT_LOGGING_RULES="greenpulse.grid.debug=true" shows every poll.
Q_DECLARE_LOGGING_CATEGORY(lcGrid)
