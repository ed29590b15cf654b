#include "influx/SpoolHealth_p.h"

#include "base/Logging.h"

namespace greenpulse::core {

namespace {
QString megabytes(qint64 bytes)
{
    return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'g', 3);
}
} // namespace

void SpoolHealth::failed(const QString &error, qint64 boundBytes)
{
    ++m_failedWrites;
    if (m_failing) {
        return;
    }
    m_failing = true;
    qCWarning(lcInflux).noquote()
        << error + QStringLiteral(
                       "; points wait in memory up to the spool's bound (%1 MB) and are dropped "
                       "and counted beyond it. Retried at every flush; said once.")
                       .arg(megabytes(boundBytes));
}

bool SpoolHealth::succeeded()
{
    if (!m_failing) {
        return false;
    }
    qCInfo(lcInflux).noquote()
        << QStringLiteral("The spool is writable again after %1 failed writes; %2 points were "
                          "dropped meanwhile")
               .arg(m_failedWrites)
               .arg(m_dropped);
    *this = SpoolHealth();
    return true;
}

void SpoolHealth::droppedFromMemory(quint64 lines, qint64 boundBytes)
{
    m_dropped += lines;
    if (m_dropLogged) {
        return;
    }
    m_dropLogged = true;
    qCWarning(lcInflux).noquote()
        << QStringLiteral("Dropping %1 points held in memory: the spool cannot be written and "
                          "they passed --spool-max-mb (%2 MB). Counted as dropped; said once "
                          "until the spool works again.")
               .arg(lines)
               .arg(megabytes(boundBytes));
}

} // namespace greenpulse::core
