# A single-user image for JupyterHub (Zero to JupyterHub on Kubernetes, or
# DockerSpawner): Debian 12, the cnn kernel built from this repository and
# installed system-wide, and Debian's jupyterhub-singleuser (JupyterHub 3.0
# with the classic notebook server) as the command.
#
#   docker build -t cnn-singleuser .
#   docker run --rm -p 8888:8888 cnn-singleuser jupyter notebook --ip=0.0.0.0
#
# Zero to JupyterHub (config.yaml):
#   singleuser:
#     image: {name: REGISTRY/cnn-singleuser, tag: TAG}
#     cpu: {limit: 1}        # the kernel runs one engine thread (cpu.max)
#     memory: {limit: 512M}  # and checks allocations against it (memory.max)
#
# The steps are those of the classroom test (tests/classroom/classroom.py),
# which runs them under a temporary prefix instead of /usr/local: the
# packages of .ci/deps, a meson build, `cnn-kernel install --prefix`, and
# jupyterhub-singleuser running the classic notebook server.
FROM debian:12

# .ci/deps run, and the single-user server (jupyterhub, python3-notebook).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       gcc libc6-dev meson ninja-build pkg-config libzmq3-dev libjansson-dev \
       libssl-dev libopenblas-dev check python3-jupyter-client \
       jupyterhub python3-notebook ca-certificates \
    && rm -rf /var/lib/apt/lists/*

COPY . /usr/src/cnn
WORKDIR /usr/src/cnn
# Build (warnings are errors), then install the binary and the kernelspec
# system-wide: /usr/local/bin/cnn-kernel and
# /usr/local/share/jupyter/kernels/cnn, which every user's Jupyter finds.
RUN rm -rf build && meson setup build -Dprefix=/usr/local \
    && ninja -C build kernel/cnn-kernel \
    && install -D -m 755 build/kernel/cnn-kernel /usr/local/bin/cnn-kernel \
    && cnn-kernel install --prefix /usr/local \
    && rm -rf build \
    && cp -r examples /usr/local/share/cnn-examples

# The user Zero to JupyterHub runs as (uid 1000), with its examples.
RUN useradd -m -u 1000 -s /bin/bash jovyan \
    && cp -r /usr/local/share/cnn-examples /home/jovyan/examples \
    && chown -R jovyan /home/jovyan
USER 1000
WORKDIR /home/jovyan
ENV HOME=/home/jovyan \
    JUPYTERHUB_SINGLEUSER_APP=notebook.notebookapp.NotebookApp
EXPOSE 8888
CMD ["jupyterhub-singleuser", "--ip=0.0.0.0", "--port=8888"]
