const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n looks for each node's icons and its codex file
// (Name.node.json) next to the compiled Name.node.js.
function copyIconsAndCodex() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyIconsAndCodex;
