// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs attributes of /dev/btf_filter's device (/sys/class/misc/btf_filter):
 * version, stats (root only: its timings and byte counts would tell any
 * user when others query and how much), and index_cached (write 1 to
 * build and keep the index, 0 to drop it and stream every query).
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "btf_filter.h"

static ssize_t version_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", BTF_FILTER_VERSION_STR);
}
static DEVICE_ATTR_RO(version);

static ssize_t stats_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf,
			  "queries %lld\nerrors %lld\nbytes %lld\nlast_ns %lld\nmax_ns %lld\nindex_bytes %llu\n",
			  (s64)atomic64_read(&bfk_stats.queries),
			  (s64)atomic64_read(&bfk_stats.errors),
			  (s64)atomic64_read(&bfk_stats.bytes),
			  (s64)atomic64_read(&bfk_stats.last_ns),
			  (s64)atomic64_read(&bfk_stats.max_ns),
			  bfk_index_bytes());
}
static DEVICE_ATTR_ADMIN_RO(stats);

static ssize_t index_cached_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", bfk_is_cached());
}

static ssize_t index_cached_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	bool on;
	int err;

	err = kstrtobool(buf, &on);
	if (!err)
		err = bfk_set_cached(on);
	return err ? err : count;
}
static DEVICE_ATTR_RW(index_cached);

static struct attribute *bfk_attrs[] = {
	&dev_attr_version.attr,
	&dev_attr_stats.attr,
	&dev_attr_index_cached.attr,
	NULL,
};

static const struct attribute_group bfk_group = {
	.attrs = bfk_attrs,
};

const struct attribute_group *bfk_groups[] = {
	&bfk_group,
	NULL,
};
