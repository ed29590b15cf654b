#include "TestCertificates.h"

#include "TestSupport.h"

#include <QFile>

namespace greenpulse::test {

QString makeCertificates(const QString &dir)
{
    const QString openssl = findExecutable(QStringLiteral("openssl"));
    const QString d = dir + QLatin1Char('/');
    QFile ext(d + QStringLiteral("ext.cnf"));
    if (!ext.open(QIODevice::WriteOnly) ||
        ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n") < 0) {
        return QStringLiteral("cannot write ext.cnf");
    }
    ext.close();
    // %1: the folder (a temporary path, without spaces)
    const char *const steps[] = {
        "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=GreenPulse-Test-CA "
        "-keyout %1ca.key -out %1ca.crt",
        "req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout %1server.key -out %1server.csr",
        "x509 -req -in %1server.csr -CA %1ca.crt -CAkey %1ca.key -CAcreateserial -days 2 "
        "-extfile %1ext.cnf -out %1server.crt",
    };
    for (const char *step : steps) {
        const QStringList args = QString::fromLatin1(step).arg(d).split(QLatin1Char(' '));
        const ProcessResult r = run(openssl, args);
        if (r.exitCode != 0) {
            return QStringLiteral("openssl %1 failed: %2")
                .arg(args.first(), QString::fromUtf8(r.err));
        }
    }
    return {};
}

} // namespace greenpulse::test
