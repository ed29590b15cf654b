#include "base/Logging.h"
#include "influx/SpoolHealth_p.h"

namespace greenpulse::core {

namespace {
QString megabytes(qint64 bytes)
{
    return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'g', 3);
}
} // namespace

void SpoolHealth::failed(const QString &error, qint64 boundBytes)
{
    if (!m_writes.fail()) {
        return;
    }
    qCWarning(lcInflux).noquote()
        << error + QStringLiteral(
                       "; points wait in memory up to the spool's bound (%1 MB) and are dropped "
                       "and counted beyond it. Retried at every flush; said once.")
                       .arg(megabytes(boundBytes));
}

bool SpoolHealth::succeeded()
{
    if (!m_writes.recover()) {
        return false;
    }
    qCInfo(lcInflux).noquote()
        << QStringLiteral("The spool is writable again after %1 failed writes; %2 points were "
                          "dropped meanwhile")
               .arg(m_writes.failuresInARow())
               .arg(m_dropped);
    m_dropped = 0;
    m_drops.recover();
    return true;
}

void SpoolHealth::droppedFromMemory(quint64 lines, qint64 boundBytes)
{
    m_dropped += lines;
    if (!m_drops.fail()) {
        return;
    }
    qCWarning(lcInflux).noquote()
        << QStringLiteral("Dropping %1 points held in memory: the spool cannot be written and "
                          "they passed --spool-max-mb (%2 MB). Counted as dropped; said once "
                          "until the spool works again.")
               .arg(lines)
               .arg(megabytes(boundBytes));
}

} // namespace greenpulse::core
