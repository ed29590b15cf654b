#include "runtime/launchers/Launch.h"

#include <QCoreApplication>

namespace greenpulse::app {

QString launchStateText(LaunchState state)
{
    switch (state) {
    case LaunchState::Submitting:
        return QCoreApplication::translate("Launch", "submitting");
    case LaunchState::Pending:
        return QCoreApplication::translate("Launch", "pending");
    case LaunchState::Running:
        return QCoreApplication::translate("Launch", "running");
    case LaunchState::Ended:
        return QCoreApplication::translate("Launch", "ended");
    case LaunchState::Failed:
        return QCoreApplication::translate("Launch", "failed");
    case LaunchState::Cancelled:
        return QCoreApplication::translate("Launch", "cancelled");
    }
    return {};
}

bool isFinal(LaunchState state)
{
    return state == LaunchState::Ended || state == LaunchState::Failed ||
           state == LaunchState::Cancelled;
}

} // namespace greenpulse::app
