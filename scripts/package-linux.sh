#!/usr/bin/env bash
# Builds the Linux packages with Tauri (release profile; cargo reuses target/release when it is fresh),
# then gives them the app's one id and checks them with Debian's validators.
#   scripts/package-linux.sh deb|rpm|deb,rpm   – prints the path of each package built, one a line, last
#   scripts/package-linux.sh --fix FILE...     – only the fix-up and the checks, on packages Tauri made
#
# Why a fix-up: Tauri names the desktop entry after the product ("Phraseanet Desktop.desktop") and the
# icons and the doc folder after the binary or the product (tauri-apps/tauri#11300), while the desktop
# entry spec, AppStream and software centres want them named by the reverse-DNS id. So each package is
# unpacked, those names are changed, and it is packed again: same contents, same metadata, new names.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'package-linux: %s\n' "$*" >&2; exit 1; }

conf() { python3 -c 'import json,sys; print(json.load(open("tauri.conf.json"))[sys.argv[1]])' "$1"; }
app_id=$(conf identifier)
product=$(conf productName)
binary=$(conf mainBinaryName)
package=$binary # Tauri names the package after the product in kebab case: the binary's name here.
# PACKAGE_PROFILE: the cargo profile Tauri builds with, `release` unless told (CI, `.ci/run`, uses the cheaper
# `release-ci`, Cargo.toml says why); Tauri puts the bundles under target/<profile>/bundle.
profile=${PACKAGE_PROFILE:-release}
bundle_dir=${CARGO_TARGET_DIR:-target}/$profile/bundle

# The desktop entry, the icons and the doc folder, renamed in an unpacked package tree.
rename_in_tree() {
  local root=$1 f
  [ -f "$root/usr/share/applications/$product.desktop" ] || die "no '$product.desktop' in the package"
  mv "$root/usr/share/applications/$product.desktop" "$root/usr/share/applications/$app_id.desktop"
  for f in "$root"/usr/share/icons/hicolor/*/apps/"$binary".png; do
    [ -e "$f" ] && mv "$f" "$(dirname "$f")/$app_id.png"
  done
  # Tauri files a 256-pixel "@2x" PNG under 256x256@2 (a 512-pixel slot): it belongs in 256x256.
  for d in "$root"/usr/share/icons/hicolor/*@2; do
    [ -d "$d" ] || continue
    mkdir -p "${d%@2}/apps"
    mv -n "$d/apps/$app_id.png" "${d%@2}/apps/"
    rm -rf "$d"
  done
  if [ -d "$root/usr/share/doc/$product" ]; then
    mkdir -p "$root/usr/share/doc/$package"
    mv "$root/usr/share/doc/$product"/* "$root/usr/share/doc/$package/"
    rmdir "$root/usr/share/doc/$product"
  fi
}

# What every package must hold, checked with the validators a distribution would run.
check_tree() {
  local root=$1 kind=$2
  desktop-file-validate "$root/usr/share/applications/$app_id.desktop"
  appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" >&2
  grep -qx "Icon=$app_id" "$root/usr/share/applications/$app_id.desktop" || die "$kind: Icon= is not the id"
  ls "$root"/usr/share/icons/hicolor/*/apps/"$app_id".png >/dev/null || die "$kind: no icon named $app_id.png"
  [ -x "$root/usr/bin/$binary" ] || die "$kind: no /usr/bin/$binary"
  ! find "$root/usr/share/applications" -name '* *' | grep -q . || die "$kind: a file name with a space"
}

fix_deb() {
  local deb=$1 work
  work=$(mktemp -d)
  dpkg-deb -R "$deb" "$work/root"
  rename_in_tree "$work/root"
  check_tree "$work/root" deb
  (cd "$work/root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$work/root/DEBIAN/md5sums"
  # xz, not the zstd Ubuntu's dpkg-deb picks by default: Debian 12's dpkg cannot unpack zstd.
  dpkg-deb --root-owner-group -Zxz --build "$work/root" "$deb" >/dev/null
  rm -rf "$work"
}

# rpm has no "repack": the tree is rebuilt with rpmbuild from a spec that carries over every field Tauri
# wrote (name, version, release, licence, summary, description, URL, requires, recommends).
fix_rpm() {
  local rpm=$1 work q
  command -v rpmbuild >/dev/null || die "rpmbuild is missing (Debian/Ubuntu: apt-get install rpm)"
  work=$(mktemp -d)
  mkdir -p "$work/root" "$work/out"
  # Debian's rpm2cpio exits 1 after a complete archive; check_tree below checks what was unpacked.
  (cd "$work/root" && { rpm2cpio "$rpm" || true; } | cpio -idm --quiet)
  rename_in_tree "$work/root"
  check_tree "$work/root" rpm
  q() { rpm -qp --qf "$1" "$rpm" 2>/dev/null; }
  {
    echo "Name: $(q '%{NAME}')"
    echo "Version: $(q '%{VERSION}')"
    echo "Release: $(q '%{RELEASE}')"
    echo "Summary: $(q '%{SUMMARY}')"
    echo "License: $(q '%{LICENSE}')"
    echo "URL: $(q '%{URL}')"
    rpm -qp --requires "$rpm" 2>/dev/null | grep -v '^rpmlib(' | sed 's/^/Requires: /'
    rpm -qp --recommends "$rpm" 2>/dev/null | sed 's/^/Recommends: /'
    echo "AutoReqProv: no"
    # The binary is already stripped and complete: no debuginfo split, no brp scripts.
    echo "%global debug_package %{nil}"
    echo "%global __os_install_post %{nil}"
    echo "%global __arch_install_post %{nil}"
    echo "%global _build_id_links none"
    printf '%%description\n%s\n\n' "$(q '%{DESCRIPTION}')"
    printf '%%install\nmkdir -p %%{buildroot}\ncp -a %s/. %%{buildroot}/\n\n' "$work/root"
    echo "%files"
    (cd "$work/root" && find . -type f -printf '/%P\n' | sort) | while read -r f; do
      case "$f" in /usr/share/licenses/*) echo "%license \"$f\"" ;; *) echo "\"$f\"" ;; esac
    done
    # Folders only this package has, so that `rpm -e` removes them too.
    for d in "/usr/share/doc/$package" "/usr/share/licenses/$package"; do
      [ -d "$work/root$d" ] && echo "%dir \"$d\""
    done
  } >"$work/app.spec"
  rpmbuild -bb --quiet --target "$(q '%{ARCH}')" --define "_topdir $work/top" --define "_rpmdir $work/out" \
    --define "_build_name_fmt %%{NAME}.rpm" "$work/app.spec" >&2
  mv "$work/out/$(q '%{NAME}').rpm" "$rpm"
  rm -rf "$work"
}

fix() {
  local f
  for f in "$@"; do
    say "Naming the package's files after $app_id: $f"
    case "$f" in *.deb) fix_deb "$f" ;; *.rpm) fix_rpm "$f" ;; *) die "not a .deb or .rpm: $f" ;; esac
    echo "$f"
  done
}

if [ "${1:-}" = --fix ]; then
  shift
  fix "$@"
  exit 0
fi

bundles=${1:-deb,rpm}
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
say "Building $bundles $version with Tauri (profile $profile)"
if [ "$profile" = release ]; then
  ui/node_modules/.bin/tauri build --ci --bundles "$bundles" >&2
else
  ui/node_modules/.bin/tauri build --ci --bundles "$bundles" -- --profile "$profile" >&2
fi
# Tauri's file names hold the product name (a space); the packages get their distribution's usual names.
out=()
for kind in deb rpm; do
  case ",$bundles," in *",$kind,"*) ;; *) continue ;; esac
  built=$(ls -t "$bundle_dir/$kind"/*"$version"*."$kind" | head -1)
  case $kind in
    deb) name="${package}_${version}_$(dpkg-deb -f "$built" Architecture).deb" ;;
    rpm) name="${package}-$(rpm -qp --qf '%{VERSION}-%{RELEASE}.%{ARCH}' "$built" 2>/dev/null).rpm" ;;
  esac
  [ "$built" = "$bundle_dir/$kind/$name" ] || mv -f "$built" "$bundle_dir/$kind/$name"
  out+=("$bundle_dir/$kind/$name")
done
fix "${out[@]}"
