#include "runtime/Resources.h"

// Outside any namespace, as Q_INIT_RESOURCE requires.
static void initGreenPulseResources()
{
    Q_INIT_RESOURCE(greenpulse);
}

namespace greenpulse::app {

void initResources()
{
    initGreenPulseResources();
}

QIcon applicationIcon()
{
    return QIcon(QStringLiteral(":/icons/greenpulse.svg"));
}

} // namespace greenpulse::app
