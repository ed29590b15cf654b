#include "TmpfsMount.h"

#include "TestSupport.h"

#include <QFile>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace greenpulse::test {

namespace {
const QString kFiller = QStringLiteral(".filler");
}

TmpfsMount::TmpfsMount(qint64 sizeBytes)
{
    const ProcessResult r = run(
        QStringLiteral("mount"),
        {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
         QStringLiteral("size=%1,mode=0755").arg(sizeBytes), QStringLiteral("tmpfs"), m_dir.path()},
        10000);
    m_mounted = r.exitCode == 0;
    if (!m_mounted) {
        m_error = QStringLiteral("mount -t tmpfs failed (needs root or CAP_SYS_ADMIN): %1")
                      .arg(QString::fromLocal8Bit(r.err).trimmed());
    }
}

TmpfsMount::~TmpfsMount()
{
    if (m_mounted) {
        run(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir.path()}, 10000);
    }
}

bool TmpfsMount::fill()
{
    const QByteArray name = QFile::encodeName(filePath(kFiller));
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0) {
        return false;
    }
    const QByteArray block(4096, 'x');
    bool full = false;
    for (;;) {
        const ssize_t n = ::write(fd, block.constData(), static_cast<size_t>(block.size()));
        if (n < block.size()) {
            full = n >= 0 || errno == ENOSPC;
            if (n > 0) {
                continue; // a short write: the next one says ENOSPC
            }
            break;
        }
    }
    ::close(fd);
    return full;
}

void TmpfsMount::unfill()
{
    QFile::remove(filePath(kFiller));
}

bool TmpfsMount::resize(qint64 sizeBytes)
{
    return run(QStringLiteral("mount"),
               {QStringLiteral("-o"), QStringLiteral("remount,size=%1").arg(sizeBytes),
                m_dir.path()},
               10000)
               .exitCode == 0;
}

} // namespace greenpulse::test
