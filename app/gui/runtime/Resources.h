#pragma once

#include <QIcon>

namespace greenpulse::app {

// Registers resources/greenpulse.qrc (compiled into the static library, so it must be
// initialised explicitly). Call once, after QApplication exists.
void initResources();
QIcon applicationIcon(); // :/icons/greenpulse.svg

} // namespace greenpulse::app
