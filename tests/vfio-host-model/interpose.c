/*
 * VFIO host model: libc interposition and the fd table
 *
 * Only the files under /dev/vfio are taken over.  Every fake fd is
 * backed by a real fd on /dev/null so that fd numbers are never reused
 * while they are live.
 *
 * Copyright (c) 2025 The qemu-spapr-eeh authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vhm.h"

VhmModel vhm;
VhmReal vhm_real;

typedef struct VhmFd {
    int kind;
    void *obj;
} VhmFd;

static VhmFd fdtab[VHM_FD_MAX];
static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

static void *real_sym(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static void resolve(void)
{
    vhm_real.open = real_sym("open");
    vhm_real.open64 = real_sym("open64");
    vhm_real.openat = real_sym("openat");
    vhm_real.openat64 = real_sym("openat64");
    vhm_real.open_2 = real_sym("__open_2");
    vhm_real.open64_2 = real_sym("__open64_2");
    vhm_real.ioctl = real_sym("ioctl");
    vhm_real.pread = real_sym("pread");
    vhm_real.pread64 = real_sym("pread64");
    vhm_real.pread_chk = real_sym("__pread_chk");
    vhm_real.pread64_chk = real_sym("__pread64_chk");
    vhm_real.pwrite = real_sym("pwrite");
    vhm_real.pwrite64 = real_sym("pwrite64");
    vhm_real.close = real_sym("close");
}

static void ensure_resolved(void)
{
    pthread_once(&resolve_once, resolve);
}

void vhm_lock(void)
{
    pthread_mutex_lock(&vhm.lock);
}

void vhm_unlock(void)
{
    pthread_mutex_unlock(&vhm.lock);
}

__attribute__((constructor))
static void vhm_init(void)
{
    pthread_mutexattr_t attr;

    ensure_resolved();
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&vhm.lock, &attr);
    pthread_mutexattr_destroy(&attr);

    unsetenv("LD_PRELOAD");
    vhm_config_load();
    if (vhm.sysfs) {
        vhm_sysfs_create(vhm.sysfs);
    }
}

__attribute__((destructor))
static void vhm_fini(void)
{
    vhm_lock();
    vhm_log_flush_run();
    vhm_unlock();
}

/* fd table */

static bool fd_ok(int fd)
{
    return fd >= 0 && fd < VHM_FD_MAX;
}

int vhm_fd_new(int kind, void *obj, int flags)
{
    int fd;

    ensure_resolved();
    fd = vhm_real.open("/dev/null", O_RDWR | (flags & O_CLOEXEC));
    if (fd < 0) {
        return -errno;
    }
    if (!fd_ok(fd)) {
        vhm_real.close(fd);
        return -EMFILE;
    }
    vhm_fd_set(fd, kind, obj);
    return fd;
}

void vhm_fd_set(int fd, int kind, void *obj)
{
    if (!fd_ok(fd)) {
        return;
    }
    __atomic_store_n(&fdtab[fd].obj, obj, __ATOMIC_RELEASE);
    __atomic_store_n(&fdtab[fd].kind, kind, __ATOMIC_RELEASE);
}

int vhm_fd_kind(int fd)
{
    if (!fd_ok(fd)) {
        return VHM_FD_NONE;
    }
    return __atomic_load_n(&fdtab[fd].kind, __ATOMIC_ACQUIRE);
}

void *vhm_fd_obj(int fd)
{
    if (!fd_ok(fd)) {
        return NULL;
    }
    return __atomic_load_n(&fdtab[fd].obj, __ATOMIC_ACQUIRE);
}

/* open */

static bool is_vfio_path(const char *path)
{
    return path && strncmp(path, "/dev/vfio/", 10) == 0;
}

static int vfio_open(const char *path, int flags)
{
    const char *name = path + 10;
    uint64_t id;
    int ret;

    vhm_lock();
    vhm_ctrl_start();
    if (strcmp(name, "vfio") == 0) {
        VhmContainer *c = vhm_container_new();

        if (!c) {
            ret = -ENOMEM;
        } else {
            ret = vhm_fd_new(VHM_FD_CONT, c, flags);
            if (ret < 0) {
                free(c);
            } else {
                c->fd = ret;
            }
        }
    } else {
        if (vhm_parse_u64(name, 10, &id) < 0 || id > 0x7fffffff) {
            ret = -ENOENT;
        } else {
            ret = vhm_group_open((int)id, flags);
        }
    }
    vhm_log("OPEN %s = %d%s%s", path, ret < 0 ? -1 : ret,
            ret < 0 ? " " : "", ret < 0 ? vhm_errno_name(-ret) : "");
    vhm_unlock();
    if (ret < 0) {
        errno = -ret;
        return -1;
    }
    return ret;
}

static mode_t get_mode(int flags, va_list ap)
{
    if (flags & (O_CREAT | O_TMPFILE)) {
        return va_arg(ap, mode_t);
    }
    return 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = get_mode(flags, ap);
    va_end(ap);
    if (is_vfio_path(path)) {
        return vfio_open(path, flags);
    }
    ensure_resolved();
    return vhm_real.open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = get_mode(flags, ap);
    va_end(ap);
    if (is_vfio_path(path)) {
        return vfio_open(path, flags);
    }
    ensure_resolved();
    return vhm_real.open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = get_mode(flags, ap);
    va_end(ap);
    if (is_vfio_path(path)) {
        return vfio_open(path, flags);
    }
    ensure_resolved();
    return vhm_real.openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = get_mode(flags, ap);
    va_end(ap);
    if (is_vfio_path(path)) {
        return vfio_open(path, flags);
    }
    ensure_resolved();
    return vhm_real.openat64(dirfd, path, flags, mode);
}

int __open_2(const char *path, int flags)
{
    if (is_vfio_path(path)) {
        return vfio_open(path, flags);
    }
    ensure_resolved();
    return vhm_real.open_2(path, flags);
}

int __open64_2(const char *path, int flags)
{
    if (is_vfio_path(path)) {
        return vfio_open(path, flags);
    }
    ensure_resolved();
    return vhm_real.open64_2(path, flags);
}

/* ioctl */

static int ret_errno(long ret)
{
    if (ret < 0) {
        errno = (int)-ret;
        return -1;
    }
    return (int)ret;
}

int ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    void *arg;
    long ret;
    int kind;

    va_start(ap, req);
    arg = va_arg(ap, void *);
    va_end(ap);

    kind = vhm_fd_kind(fd);
    if (kind == VHM_FD_NONE) {
        ensure_resolved();
        return vhm_real.ioctl(fd, req, arg);
    }

    vhm_lock();
    switch (vhm_fd_kind(fd)) {
    case VHM_FD_CONT:
        ret = vhm_container_ioctl(fd, vhm_fd_obj(fd), req, arg);
        break;
    case VHM_FD_GROUP:
        ret = vhm_group_ioctl(fd, vhm_fd_obj(fd), req, arg);
        break;
    case VHM_FD_DEV:
        ret = vhm_dev_ioctl(fd, vhm_fd_obj(fd), req, arg);
        break;
    default:
        ret = -EBADF;
        break;
    }
    vhm_unlock();
    return ret_errno(ret);
}

/* pread / pwrite */

static ssize_t fake_rw(int fd, void *buf, size_t count, off_t off,
                       bool write)
{
    ssize_t ret;

    vhm_lock();
    if (vhm_fd_kind(fd) == VHM_FD_DEV) {
        ret = vhm_dev_rw(fd, vhm_fd_obj(fd), buf, count, off, write);
    } else {
        /* container and group files have no read/write methods */
        ret = -EINVAL;
    }
    vhm_unlock();
    return ret_errno(ret);
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
    if (vhm_fd_kind(fd) != VHM_FD_NONE) {
        return fake_rw(fd, buf, count, off, false);
    }
    ensure_resolved();
    return vhm_real.pread(fd, buf, count, off);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t off)
{
    if (vhm_fd_kind(fd) != VHM_FD_NONE) {
        return fake_rw(fd, buf, count, off, false);
    }
    ensure_resolved();
    return vhm_real.pread64(fd, buf, count, off);
}

ssize_t __pread_chk(int fd, void *buf, size_t count, off_t off,
                    size_t buflen)
{
    if (vhm_fd_kind(fd) != VHM_FD_NONE) {
        if (count > buflen) {
            abort();
        }
        return fake_rw(fd, buf, count, off, false);
    }
    ensure_resolved();
    return vhm_real.pread_chk(fd, buf, count, off, buflen);
}

ssize_t __pread64_chk(int fd, void *buf, size_t count, off_t off,
                      size_t buflen)
{
    if (vhm_fd_kind(fd) != VHM_FD_NONE) {
        if (count > buflen) {
            abort();
        }
        return fake_rw(fd, buf, count, off, false);
    }
    ensure_resolved();
    return vhm_real.pread64_chk(fd, buf, count, off, buflen);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t off)
{
    if (vhm_fd_kind(fd) != VHM_FD_NONE) {
        return fake_rw(fd, (void *)buf, count, off, true);
    }
    ensure_resolved();
    return vhm_real.pwrite(fd, buf, count, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t off)
{
    if (vhm_fd_kind(fd) != VHM_FD_NONE) {
        return fake_rw(fd, (void *)buf, count, off, true);
    }
    ensure_resolved();
    return vhm_real.pwrite64(fd, buf, count, off);
}

/* close */

int close(int fd)
{
    int kind = vhm_fd_kind(fd);

    ensure_resolved();
    if (kind == VHM_FD_NONE) {
        return vhm_real.close(fd);
    }

    vhm_lock();
    kind = vhm_fd_kind(fd);
    if (kind != VHM_FD_NONE) {
        void *obj = vhm_fd_obj(fd);
        static const char *const names[] = {
            [VHM_FD_CONT] = "cont",
            [VHM_FD_GROUP] = "group",
            [VHM_FD_DEV] = "dev",
        };

        vhm_fd_set(fd, VHM_FD_NONE, NULL);
        vhm_log("CLOSE %s fd=%d", names[kind], fd);
        switch (kind) {
        case VHM_FD_CONT:
            vhm_container_close(obj);
            break;
        case VHM_FD_GROUP:
            vhm_group_close(obj);
            break;
        case VHM_FD_DEV:
            vhm_dev_close(obj);
            break;
        }
    }
    vhm_unlock();
    return vhm_real.close(fd);
}
