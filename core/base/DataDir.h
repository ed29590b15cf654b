#pragma once

#include <QString>

namespace greenpulse::core {

// The folder every GreenPulse program keeps its files in when no option names one:
// <XDG data home>/greenpulse (e.g. ~/.local/share/greenpulse), or <temp>/greenpulse when there is
// no data home. The defaults of the InfluxDB spool (InfluxOptions::defaultSpoolDir) and of the
// state file (StateFile::defaultPath) lie in it.
QString defaultDataDir();

} // namespace greenpulse::core
