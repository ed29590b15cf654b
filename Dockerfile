# syntax=docker/dockerfile:1
# GreenPulse headless programs (processor, simulators, greenpulse-job) in a small runtime image.
#   docker build -t greenpulse .
#   docker run --rm greenpulse greenpulse-processor --help
# Used by compose/docker-compose.yml. The Qt GUI is not built here.

FROM debian:12 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        ca-certificates cmake g++ libmosquitto-dev ninja-build pkg-config \
        qt6-base-dev qt6-charts-dev qt6-svg-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja \
        -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX=/usr \
        -DGREENPULSE_BUILD_TESTS=OFF \
        -DGREENPULSE_BUILD_BENCH=OFF \
        -DGREENPULSE_BUILD_GUI=OFF \
        -DGREENPULSE_INSTALL_SYSTEMD=OFF \
 && cmake --build /build --parallel \
 && DESTDIR=/install cmake --install /build --strip

FROM debian:12-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        ca-certificates libmosquitto1 libqt6core6 libqt6network6 libssl3 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --home-dir /var/lib/greenpulse --create-home \
        --shell /usr/sbin/nologin greenpulse
COPY --from=build /install/usr/bin/ /usr/bin/
COPY --from=build /install/etc/greenpulse/ /etc/greenpulse/
COPY --from=build /install/usr/share/doc/greenpulse/ /usr/share/doc/greenpulse/
USER greenpulse
WORKDIR /var/lib/greenpulse
ENV HOME=/var/lib/greenpulse
CMD ["greenpulse-processor", "--help"]
