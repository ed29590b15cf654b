#include "base/DataDir.h"

#include <QDir>
#include <QStandardPaths>

namespace greenpulse::core {

QString defaultDataDir()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (dir.isEmpty()) {
        dir = QDir::tempPath();
    }
    return dir + QStringLiteral("/greenpulse");
}

} // namespace greenpulse::core
