const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n resolves `icon: 'file:…'` next to the compiled files.
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
