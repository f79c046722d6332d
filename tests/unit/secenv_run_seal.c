/* SPDX-License-Identifier: ISC */
/* The run's blob file, sealed (memfd_seal): nothing changes it after. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "secenv-run/run.h"

#include "tap.h"

int
main(void)
{
	static const char blob[] = "a sealed blob's bytes";
	char path[64], back[sizeof blob] = {0};
	int fd = memfd_make("secenv-blob", MFD_ALLOW_SEALING), other, seals;
	void *map;

	tap_ok(write(fd, blob, sizeof blob) == (ssize_t)sizeof blob,
	       "the blob is written before the seal");
	tap_ok(memfd_seal(fd) == 0, "memfd_seal seals it");
	seals = fcntl(fd, F_GET_SEALS);
	tap_ok(seals >= 0 && (seals & F_SEAL_SHRINK) && (seals & F_SEAL_GROW) &&
	           (seals & F_SEAL_SEAL) &&
	           (seals & (F_SEAL_FUTURE_WRITE | F_SEAL_WRITE)),
	       "its seals: no shrinking, growing, writing or more seals");
	errno = 0;
	tap_ok(pwrite(fd, "X", 1, 0) == -1 && errno == EPERM,
	       "a write through the writer's descriptor is refused");
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	other = open(path, O_RDWR | O_CLOEXEC);
	errno = 0;
	tap_ok(other >= 0 && pwrite(other, "X", 1, 0) == -1 && errno == EPERM,
	       "a write through a descriptor opened again is refused");
	tap_ok(ftruncate(fd, 1) == -1 && ftruncate(fd, 4096) == -1,
	       "it can be neither shrunk nor grown");
	map =
	    mmap(NULL, sizeof blob, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	tap_ok(map == MAP_FAILED, "no shared writable mapping of it is made");
	tap_ok(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK) == -1 && errno == EPERM,
	       "no seal is added or taken after");
	tap_ok(pread(fd, back, sizeof back, 0) == (ssize_t)sizeof blob &&
	           memcmp(back, blob, sizeof blob) == 0,
	       "it reads back as written");
	if (other >= 0)
		close(other);
	close(fd);
	return tap_done();
}
