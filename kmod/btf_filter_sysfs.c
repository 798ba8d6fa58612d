// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs attributes of /dev/btf_filter's device (/sys/class/misc/btf_filter):
 * version; index_cached (write 1 to keep an index, built by the next query,
 * 0 to drop it and stream every query); and stats/, one value per file, root only: its
 * timings and byte counts would tell any user when others query and how
 * much they get.
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
	&dev_attr_index_cached.attr,
	NULL,
};

static const struct attribute_group bfk_group = {
	.attrs = bfk_attrs,
};

/* stats/NAME: one counter of struct bfk_stats each. */
#define BFK_STAT(name)							\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  (s64)atomic64_read(&bfk_stats.name));		\
}									\
static DEVICE_ATTR_ADMIN_RO(name)

BFK_STAT(queries);
BFK_STAT(errors);
BFK_STAT(bytes);
BFK_STAT(last_ns);
BFK_STAT(max_ns);

static ssize_t index_bytes_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", bfk_index_bytes());
}
static DEVICE_ATTR_ADMIN_RO(index_bytes);

static struct attribute *bfk_stats_attrs[] = {
	&dev_attr_queries.attr,
	&dev_attr_errors.attr,
	&dev_attr_bytes.attr,
	&dev_attr_last_ns.attr,
	&dev_attr_max_ns.attr,
	&dev_attr_index_bytes.attr,
	NULL,
};

static const struct attribute_group bfk_stats_group = {
	.name = "stats",
	.attrs = bfk_stats_attrs,
};

const struct attribute_group *bfk_groups[] = {
	&bfk_group,
	&bfk_stats_group,
	NULL,
};
